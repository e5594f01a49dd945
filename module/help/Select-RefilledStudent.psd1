@{
    Synopsis    = 'Picks the best of several validated students by a rule that does not depend on their order: validation accuracy, then validation cross-entropy, then the smaller lambda.'
    Description = @'
Reads students from the pipeline and writes the one with the highest validation metric (the ValidationMetric of its
best epoch: accuracy for stage 2 and the classifier baselines, NCM accuracy after stage 1). When validation
accuracies tie, which is common with 10 validation images per class, the lower validation cross-entropy
(ValidationCrossEntropy) wins, then the smaller Lambda (the lambda of the stage 2 that trained it); only students
equal in all three go to the first one given. The same rule picks the best epoch inside every training cmdlet, so the
choice of lambda and of the epoch never depends on the order of a list. Students must have been trained with
-ValidationData (NotValidated otherwise); choose on validation data only, never on the test split.
'@
    Parameters  = @{
        Student = 'A student trained with -ValidationData, by value from the pipeline.'
    }
    Examples    = @(
        @{
            Code    = '$best = foreach ($l in 0.1, 1, 10) { $stage1 | Copy-RefilledModel | Invoke-RefilledStage2 -Teacher $teacher -Data $train -ValidationData $val -Lambda $l } | Select-RefilledStudent'
            Remarks = 'Stage 2 once per lambda from the same stage-1 student; the best on validation, ties broken by cross-entropy, then the smaller lambda.'
        }
    )
    Links       = @('Invoke-RefilledStage2', 'Measure-Student', 'Compare-RefilledResult', 'about_Refilled')
}
