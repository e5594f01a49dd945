namespace Refilled.Engine.Evaluation;

/// <summary>What a paired 95 % interval supports: a sign only when the interval excludes zero.</summary>
public enum ComparisonVerdict
{
    NoClearDifference,
    Ahead,
    Behind,
}
