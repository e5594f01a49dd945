@{
    Synopsis    = 'Measures a student''s (or teacher''s) classification and NCM accuracy on a dataset.'
    Description = @'
Runs the model in eval mode (BatchNorm on running statistics), without augmentation, over -Data and reports the
classifier accuracy, the per-class accuracy, and the nearest-class-mean (NCM) accuracy of its embedding in two
kinds. NcmAccuracy takes the class means from -Reference (give the training data: the honest, inductive number)
and is empty without it. NcmTransductive takes them from the measured data's own labels, as the released code's
Test.py does: it uses the test labels, so it is not a fair accuracy. A student is measured on its own classes only:
data with other class ids, or the same ones in another order, is refused (ClassMismatch, or ClassCountMismatch when
the number differs; the error names both lists and targets the data's). A teacher of other classes (a cross-task
teacher) is measured by the NCM accuracies of its embedding only, with a warning that Accuracy and PerClassAccuracy
stay empty. Seed is the model's initialisation seed, TrainingSeed the -Seed of the run that last trained it. The
output has flat properties, so Export-Csv and ConvertTo-Json give clean rows.

With -OnnxPath it measures a file written by Export-RefilledModel -Format Onnx as deployed: ONNX Runtime (CPU,
2 threads) runs it on the test transform's images as bytes / 255, the graph normalising them. The class ids in the
file's metadata play the part of a model's Classes; a file whose normalisation is not -Data's is refused
(NormalisationMismatch). The row's Model is "Onnx" and its Path is the file.
'@
    Parameters  = @{
        Student   = 'The student or teacher to measure, by value from the pipeline.'
        OnnxPath  = 'An ONNX model written by Export-RefilledModel -Format Onnx, measured through ONNX Runtime instead of a model in the session. Binds files from Get-ChildItem by their FullName.'
        Data      = 'The data to measure on, usually the test split. Binds by property name.'
        Reference = 'The set whose embeddings give the NCM class means, usually the training data; it must list the same classes in the same order as -Data.'
        Method    = 'The method the result is labelled with (its Method property), for Compare-RefilledResult. Default: the method of the model''s last trained stage: Refilled after Stage1 or Stage2, else the stage''s own name (Scratch, FineTune, Rkd, ...; Pretraining for a teacher).'
        BatchSize = 'Images per evaluation batch. Default 256.'
        Precision = 'The forward pass''s number format: Float32 (default) or BFloat16 (BatchNorm folded, channels-last, outputs back in float32 before accuracy and NCM). BFloat16 is refused (PrecisionNotSupported, ResourceUnavailable) on a CPU without native bfloat16 arithmetic; Get-RefilledEnvironment shows BFloat16Supported.'
    }
    Examples    = @(
        @{
            Code    = '$runs = foreach ($s in 0..4) { New-Student smallcnn-16 -Dataset $train -Seed $s | Invoke-RefilledBaseline Scratch -Data $train -Epochs 20 -Seed $s | Measure-Student -Data $test; New-Student smallcnn-16 -Dataset $train -Seed $s | Invoke-RefilledStage1 -Teacher $teacher -Data $train -Epochs 10 -Seed $s | Invoke-RefilledStage2 -Teacher $teacher -Data $train -Epochs 10 -Seed $s | Measure-Student -Data $test }; $runs | Compare-RefilledResult'
            Remarks = 'Five seeds of Scratch and REFILLED at equal SGD steps, measured (Method is Scratch and Refilled, from the last stage; Seed the student''s) and compared by seed.'
        }
        @{
            Code    = '$student | Measure-Student -Data $test | Export-Csv results.csv -Append'
            Remarks = 'Appends one clean row per measurement to a CSV file.'
        }
        @{
            Code    = '$student | Measure-Student -Data $test -Reference $train | Select-Object Accuracy, NcmAccuracy, NcmTransductive'
            Remarks = 'NCM accuracy on the test digits with class means from the training digits, next to the transductive number.'
        }
        @{
            Code    = 'Measure-Student -OnnxPath ./student.onnx -Data $test -Reference $train'
            Remarks = 'Measures the exported student through ONNX Runtime; the numbers match the student''s own.'
        }
        @{
            Code    = 'Get-ChildItem ./exports -Filter *.onnx | Measure-Student -Data $test | Export-Csv deployed.csv'
            Remarks = 'One row per exported file, its path in the Path column.'
        }
    )
    Links       = @('Invoke-RefilledStage2', 'Get-RefilledDataset', 'Export-RefilledChart', 'Export-RefilledModel', 'about_Refilled')
}
