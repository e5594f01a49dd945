namespace Refilled.Engine.Experiments;

/// <summary>One problem in an experiment file, at a 1-based line and column.</summary>
public sealed record ExperimentError(string File, long Line, long Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>An experiment file that does not validate; <see cref="Errors"/> lists every problem found.</summary>
public sealed class ExperimentValidationException(IReadOnlyList<ExperimentError> errors)
    : ArgumentException(errors.Count == 1
        ? $"The experiment file is invalid: {errors[0]}"
        : $"The experiment file has {errors.Count} errors:{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<ExperimentError> Errors { get; } = errors;
}
