namespace Refilled.Engine.Checkpoints;

/// <summary>
/// A pickle that names a Python global outside the tensor-rebuild allow-list. Loading it could run code
/// in Python, so it is refused before any of it is unpickled.
/// </summary>
public sealed class UnsafePickleException : CheckpointFormatException
{
    public UnsafePickleException(string path, string global)
        : base(path, $"the pickle references '{global}', which is not in the allow-list of tensor-rebuild globals; refusing to load it")
    {
        Global = global;
    }

    /// <summary>The refused global as module.name.</summary>
    public string Global { get; }
}
