using Refilled.Engine.Networks;

namespace Refilled.PowerShell.Commands;

/// <summary>Tab completion for -Architecture: the common specs of every network family.</summary>
public sealed class ArchitectureCompleter : PrefixCompleter
{
    protected override IEnumerable<string> Values => NetworkSpec.Examples;
}
