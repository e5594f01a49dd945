using Refilled.Engine.Networks;
using static TorchSharp.torch;

namespace Refilled.Engine.Training;

/// <summary>
/// The fine-tuning baseline: the teacher's architecture and backbone weights with a freshly initialised classifier for
/// the student's classes, all of it then trained with <see cref="CrossEntropyObjective"/>. The student is the
/// teacher's architecture by construction.
/// </summary>
public static class FineTune
{
    /// <summary>A new network: <paramref name="teacher"/>'s spec, input size and backbone weights, a new <paramref name="numClasses"/>-way head.</summary>
    public static RefilledNetwork FromTeacher(RefilledNetwork teacher, int numClasses)
    {
        var student = teacher.Spec.CreateOn(teacher.Device, numClasses, (int)teacher.InputShape[2]);
        var head = student.ClassifierParameters().Select(p => p.Handle).ToHashSet();
        using (no_grad())
        {
            var source = teacher.state_dict();
            foreach (var (name, tensor) in student.state_dict())
            {
                if (!head.Contains(tensor.Handle)) tensor.copy_(source[name]);
            }
        }
        return student;
    }
}
