namespace Refilled.Engine.Data;

/// <summary>
/// A dataset request asked for something the data cannot give (a class id it does not have, more images per class
/// than a class holds, …). <see cref="ErrorId"/> is stable and specific; <see cref="Value"/> is the offending value
/// (the class id, the K), which the cmdlets report as the error's target.
/// </summary>
public sealed class DatasetRequestException(string errorId, string message, object? value) : ArgumentException(message)
{
    public string ErrorId { get; } = errorId;
    public object? Value { get; } = value;
}
