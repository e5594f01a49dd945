using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace Refilled.PowerShell.Commands;

/// <summary>
/// Lets -Classes take <c>5..9</c> as users type it: in argument mode PowerShell passes that as the string "5..9",
/// not as a range. Accepts ints, arrays, and strings of ranges and comma lists such as "0..4,7".
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ClassListTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) => Expand(inputData).ToArray();

    static IEnumerable<int> Expand(object? item)
    {
        item = item is PSObject ps ? ps.BaseObject : item;
        switch (item)
        {
            case null:
                yield break;
            case string text:
                foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                foreach (var c in Range(part))
                    yield return c;
                break;
            case IEnumerable items:
                foreach (var inner in items)
                foreach (var c in Expand(inner))
                    yield return c;
                break;
            default:
                yield return LanguagePrimitives.ConvertTo<int>(item);
                break;
        }
    }

    static IEnumerable<int> Range(string part)
    {
        var bounds = part.Split("..");
        if (bounds.Length == 1) return [Parse(part, part)];
        if (bounds.Length != 2) throw new ArgumentTransformationMetadataException($"'{part}' is not a class id or a range such as 5..9.");
        int from = Parse(bounds[0], part), to = Parse(bounds[1], part);
        return from <= to ? Enumerable.Range(from, to - from + 1) : Enumerable.Range(to, from - to + 1).Reverse();
    }

    static int Parse(string text, string part) =>
        int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentTransformationMetadataException($"'{part}' is not a class id or a range such as 5..9.");
}
