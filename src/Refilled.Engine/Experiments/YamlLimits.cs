using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Refilled.Engine.Experiments;

/// <summary>
/// What an experiment file may use of YAML, checked on the parser's event stream before any node is built: at most
/// <see cref="MaxDepth"/> nested collections (building deeper ones recurses until the stack overflows and the process
/// dies), no anchors or aliases (a few hundred bytes of aliases expand exponentially, and experiment files never need
/// them) and only plain values as mapping keys (a collection as a key is hashed in full at every use).
/// </summary>
public static class YamlLimits
{
    public const int MaxDepth = 64;

    /// <summary>
    /// Throws <see cref="ExperimentValidationException"/> at the first event of <paramref name="file"/> that breaks a
    /// limit, and <see cref="YamlException"/> where the text is not valid YAML.
    /// </summary>
    public static void Check(string yaml, string file)
    {
        var parser = new Parser(new StringReader(yaml));
        // One entry per open collection: for a mapping, whether its next node is a key.
        var open = new Stack<(bool Mapping, bool ExpectKey)>();
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            if (current is AnchorAlias alias)
                Refuse(file, current, $"the alias *{alias.Value} is not supported in experiment files: write the value out.");
            if (current is NodeEvent { Anchor.IsEmpty: false } anchored)
                Refuse(file, current, $"the anchor &{anchored.Anchor} is not supported in experiment files: write the value out.");
            if (current is MappingEnd or SequenceEnd)
            {
                open.Pop();
                continue;
            }
            if (current is not NodeEvent) continue;
            if (open.TryPop(out var parent))
            {
                if (parent is { Mapping: true, ExpectKey: true } && current is not Scalar)
                    Refuse(file, current, "a mapping key must be a plain value, not a list or a mapping.");
                open.Push(parent with { ExpectKey = parent.Mapping && !parent.ExpectKey });
            }
            if (current is MappingStart or SequenceStart)
            {
                if (open.Count == MaxDepth)
                    Refuse(file, current, $"lists and mappings nest more than {MaxDepth} deep.");
                open.Push((current is MappingStart, true));
            }
        }
    }

    static void Refuse(string file, ParsingEvent at, string problem) =>
        throw new ExperimentValidationException([new ExperimentError(file, at.Start.Line, at.Start.Column, problem)]);
}
