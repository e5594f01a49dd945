using Refilled.Engine.Networks;

namespace Refilled.PowerShell.Objects;

/// <summary>A trained network whose embedding guides a student; its classes usually differ from the student's.</summary>
public sealed class Teacher : RefilledModel
{
    internal Teacher(RefilledNetwork network, IReadOnlyList<int> classes, int? seed, string? path)
        : base(network, classes, seed, path)
    {
    }
}
