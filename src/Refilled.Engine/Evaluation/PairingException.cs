namespace Refilled.Engine.Evaluation;

/// <summary>Runs that cannot be paired into an interval; <see cref="Method"/> is the method whose runs are at fault.</summary>
public sealed class PairingException(string message, string method, PairingProblem problem = PairingProblem.TooFewPairs) : Exception(message)
{
    public string Method { get; } = method;

    public PairingProblem Problem { get; } = problem;
}
