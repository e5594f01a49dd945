namespace Refilled.Engine.Evaluation;

/// <summary>Why runs could not be paired into an interval (a cmdlet's error id names it).</summary>
public enum PairingProblem
{
    /// <summary>A method and the reference share fewer than two seeds (at a K): no interval.</summary>
    TooFewPairs,
    /// <summary>No run of the reference method at all.</summary>
    NoReferenceRuns,
    /// <summary>Two runs of one method with the same seed and K: which one pairs is ambiguous.</summary>
    DuplicateSeed,
    /// <summary>An accuracy outside [0, 1] (e.g. a percentage).</summary>
    AccuracyNotFraction,
}
