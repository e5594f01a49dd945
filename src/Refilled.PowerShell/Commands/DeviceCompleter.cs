using Refilled.Engine.Runtime;

namespace Refilled.PowerShell.Commands;

/// <summary>Tab completion for -Device: the devices this session can use, plus cuda for scripts written for a GPU machine.</summary>
public sealed class DeviceCompleter : PrefixCompleter
{
    protected override IEnumerable<string> Values => DeviceSpec.Available().Select(d => d.ToString()).Append("cuda").Distinct();
}
