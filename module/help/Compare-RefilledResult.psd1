@{
    Synopsis    = 'Compares each method with a reference method over runs paired by seed: the mean difference in test accuracy, its 95 % interval and the verdict it supports.'
    Description = @'
Takes results from the pipeline and pairs every method's runs with the -Reference method's runs of the same seed (and
the same K, the training images per class, when the results have one). Per method and K it writes the number of
pairs N, the mean of the per-seed differences Method − Reference in points of accuracy (percentage points), and its
95 % Student-t interval with N − 1 degrees of freedom. Verdict is Ahead when the interval lies above 0, Behind when
it lies below 0, and NoClearDifference when it contains 0: a method is "ahead" only then, whatever its mean.

Input: Get-RefilledRun records (completed runs; Method is the run's method followed by every other sweep value its
configuration uses, seed and K aside, e.g. "Refilled lambda=0.1"; a Scratch run that a method x lambda sweep trains
once per lambda, with bit-identical weights, counts once; its test accuracy is compared), Measure-Student results
(Method from -Method or the model's last stage, Seed from the model), Import-Csv rows of a results file, or any
object with Method, Seed and Accuracy properties and optionally K (or SamplesPerClass). Accuracy must be a fraction
in [0, 1]: a percentage is refused (AccuracyNotFraction), never guessed, since 0.9 could be either. Strings are read
in the invariant culture.

Errors (terminating, category InvalidData, the offending method as TargetObject): TooFewPairs when a method and the
reference share fewer than 2 seeds at a K (no interval); NoReferenceRuns when no result has the reference method;
DuplicateSeed when a method has two results with the same seed and K; AccuracyNotFraction; MissingProperty and
InvalidResult for a row without Method, Seed or Accuracy or with a value that is not a number (the row is the target).
Runs without a partner of the same seed and K are left out with a warning that names them; so are runs of
Get-RefilledRun that have no test accuracy (not completed).
'@
    Parameters  = @{
        InputObject = 'A result: a Get-RefilledRun record, a Measure-Student result, an Import-Csv row, or any object with Method, Seed and Accuracy (a fraction) and optionally K.'
        Reference   = 'The method every other method is compared with, as the results name it (case-insensitive). Default Scratch.'
    }
    Examples    = @(
        @{
            Code    = 'Import-Csv out/demo/results.csv | Compare-RefilledResult'
            Remarks = 'REFILLED against Scratch per K from the quickstart''s results, paired by seed.'
        }
        @{
            Code    = 'Get-RefilledRun examples/compare-methods.yaml -OutputPath out/compare | Compare-RefilledResult'
            Remarks = 'Every method of a finished comparison sweep against Scratch, by seed.'
        }
        @{
            Code    = 'Get-RefilledRun out/sweeps/sweep-mnist | Compare-RefilledResult -Reference ''Refilled lambda=1'''
            Remarks = 'Each lambda of a sweep against lambda = 1 over the same seeds.'
        }
    )
    Links       = @('Measure-Student', 'Get-RefilledRun', 'Export-RefilledReport', 'about_Refilled')
}
