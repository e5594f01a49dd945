using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Refilled.PowerShell.Commands;

/// <summary>Tab completion from a list of values: those that start with what the user typed, quotes ignored.</summary>
public abstract class PrefixCompleter : IArgumentCompleter
{
    protected abstract IEnumerable<string> Values { get; }

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Values
            .Where(s => s.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(s => new CompletionResult(s, s, CompletionResultType.ParameterValue, s));
}
