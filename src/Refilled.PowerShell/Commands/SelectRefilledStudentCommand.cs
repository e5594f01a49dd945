using System.Management.Automation;
using Refilled.Engine.Selection;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

/// <summary>
/// The best of several validated students by the rule that also picks the best epoch (<see cref="ValidationOrder"/>):
/// higher validation metric, then lower validation cross-entropy, then smaller λ; on a full tie the first one given.
/// </summary>
[Cmdlet(VerbsCommon.Select, "RefilledStudent")]
[OutputType(typeof(Student))]
public sealed class SelectRefilledStudentCommand : RefilledCmdlet
{
    private Student? best;

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public Student Student { get; set; } = null!;

    protected override object? ErrorTarget => Student;

    protected override void Process()
    {
        if (Student.Score is not { } score)
            Fail($"{Student} has no validation score to be chosen by: train it with -ValidationData.", "NotValidated", ErrorCategory.InvalidArgument, Student);
        else if (ValidationOrder.IsBetter(score, best?.Score))
            best = Student;
    }

    protected override void End()
    {
        if (best is not null) WriteObject(best);
    }
}
