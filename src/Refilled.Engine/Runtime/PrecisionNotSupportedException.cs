namespace Refilled.Engine.Runtime;

/// <summary>A precision this CPU cannot run (see <see cref="BFloat16Support"/>); the message names the CPU.</summary>
public sealed class PrecisionNotSupportedException(Precision precision, string message) : NotSupportedException(message)
{
    public Precision Precision { get; } = precision;
}
