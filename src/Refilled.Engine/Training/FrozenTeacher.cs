using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;

namespace Refilled.Engine.Training;

/// <summary>
/// The frozen copy of its teacher that a distillation objective reads: made when the stage is prepared (the teacher in
/// eval mode on the student's device), or at the first step for callers that step without preparing. Preparing again
/// replaces it.
/// </summary>
internal sealed class FrozenTeacher(RefilledNetwork teacher)
{
    FrozenNetwork? copy;

    public void Prepare(RefilledNetwork student, Precision precision)
    {
        copy?.Dispose();
        copy = teacher.FreezeAsTeacherOf(student, precision);
    }

    public FrozenNetwork Get(Precision precision) => copy ??= FrozenNetwork.Of(teacher, precision);
}
