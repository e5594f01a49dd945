using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Refilled.Engine.Runtime;

namespace Refilled.PowerShell.Commands;

/// <summary>Tab completion for -Device: the devices this session can use, plus cuda for scripts written for a GPU machine.</summary>
public sealed class DeviceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        DeviceSpec.Available().Select(d => d.ToString()).Append("cuda").Distinct()
            .Where(s => s.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(s => new CompletionResult(s, s, CompletionResultType.ParameterValue, s));
}
