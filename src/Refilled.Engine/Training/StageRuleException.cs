namespace Refilled.Engine.Training;

/// <summary>
/// A stage refused its teacher, student or data (<see cref="StageRecipe.Validate"/>). <see cref="ErrorId"/> is stable:
/// the cmdlets and experiment files report the same id.
/// </summary>
public sealed class StageRuleException(string errorId, string message, object? target = null) : InvalidOperationException(message)
{
    public string ErrorId { get; } = errorId;
    public object? Target { get; } = target;
}
