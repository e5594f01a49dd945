using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Refilled.Engine.Networks;

namespace Refilled.PowerShell.Commands;

/// <summary>Tab completion for -Architecture: the common specs of every network family.</summary>
public sealed class ArchitectureCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        NetworkSpec.Examples
            .Where(s => s.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(s => new CompletionResult(s, s, CompletionResultType.ParameterValue, s));
}
