namespace Refilled.Engine.Training;

/// <summary>
/// A model was refused its teacher, student, data or class ids (<see cref="StageRecipe.Validate"/>,
/// <see cref="LabelledNetwork"/>). <see cref="ErrorId"/> is stable: the cmdlets and experiment files report the same id.
/// </summary>
public sealed class StageRuleException(string errorId, string message, object? target = null) : InvalidOperationException(message)
{
    public string ErrorId { get; } = errorId;
    /// <summary>The offending value (a class list, the student, …).</summary>
    public object? Target { get; } = target;
    /// <summary>True when the offending value is one the user gave as an argument (e.g. -Classes), not a combination of objects.</summary>
    public bool IsArgument { get; init; }
}
