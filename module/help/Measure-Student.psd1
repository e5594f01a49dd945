@{
    Synopsis    = 'Measures a student''s (or teacher''s) classification and NCM accuracy on a dataset.'
    Description = @'
Runs the model in eval mode (BatchNorm on running statistics), without augmentation, over -Data and reports the
classifier accuracy, the per-class accuracy, and the nearest-class-mean (NCM) accuracy of its embedding in two
kinds. NcmAccuracy takes the class means from -Reference (give the training data: the honest, inductive number)
and is empty without it. NcmTransductive takes them from the measured data's own labels, as the released code's
Test.py does: it uses the test labels, so it is not a fair accuracy. For a model whose classes differ from the
data's (a cross-task teacher) only the NCM accuracies are measured and Accuracy is empty. The output has flat properties, so
Export-Csv and ConvertTo-Json give clean rows.
'@
    Parameters  = @{
        Student   = 'The student or teacher to measure, by value from the pipeline.'
        Data      = 'The data to measure on, usually the test split. Binds by property name.'
        Reference = 'The set whose embeddings give the NCM class means, usually the training data; it must list the same classes in the same order as -Data.'
        BatchSize = 'Images per evaluation batch. Default 256.'
        Precision = 'The forward pass''s number format: Float32 (default) or BFloat16 (BatchNorm folded, channels-last, outputs back in float32 before accuracy and NCM). BFloat16 is refused (PrecisionNotSupported, ResourceUnavailable) on a CPU without native bfloat16 arithmetic; Get-RefilledEnvironment shows BFloat16Supported.'
    }
    Examples    = @(
        @{
            Code    = '$student | Measure-Student -Data $test | Export-Csv results.csv -Append'
            Remarks = 'Appends one clean row per measurement to a CSV file.'
        }
        @{
            Code    = '$student | Measure-Student -Data $test -Reference $train | Select-Object Accuracy, NcmAccuracy, NcmTransductive'
            Remarks = 'NCM accuracy on the test digits with class means from the training digits, next to the transductive number.'
        }
    )
    Links       = @('Invoke-RefilledStage2', 'Get-RefilledDataset', 'Export-RefilledChart', 'about_Refilled')
}
