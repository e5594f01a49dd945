@{
    Synopsis    = 'Makes an independent copy of a student or teacher.'
    Description = @'
Training cmdlets update a model in place. Copy-RefilledModel gives a copy with its own weights (and BatchNorm
statistics), the same classes, stage and seed, and a copy of the history, so that one stage-1 student can branch
into several stage-2 runs (one per lambda, say) without retraining stage 1.
'@
    Parameters  = @{
        Model = 'The student or teacher to copy, by value from the pipeline.'
    }
    Examples    = @(
        @{
            Code    = @'
$stage1 = New-Student smallcnn-16 -Dataset $train | Invoke-RefilledStage1 -Teacher $teacher -Data $train
foreach ($lambda in 0.1, 1, 10) {
    $stage1 | Copy-RefilledModel | Invoke-RefilledStage2 -Teacher $teacher -Data $train -ValidationData $val -Lambda $lambda
}
'@
            Remarks = 'Runs stage 2 with three lambdas from one stage-1 student.'
        }
    )
    Links       = @('Export-RefilledModel', 'Import-Student', 'New-Student', 'about_Refilled')
}
