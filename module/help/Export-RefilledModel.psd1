@{
    Synopsis    = 'Saves a student or teacher to a Refilled checkpoint or, for deployment, an ONNX model; atomically.'
    Description = @'
Writes the network's weights with a metadata sidecar (architecture, original class ids, embedding size, stage,
epochs, metrics, seed, module version). The file is written to a temporary name and renamed, so a crash never
leaves a half-written checkpoint. An existing file is only replaced with -Force; -WhatIf shows what would be written.

With -Format Onnx it writes an ONNX inference model (opset 17, IR 8) of any architecture instead: input "image",
float32 [batch, channels, height, width] with a dynamic batch dimension and pixel values in [0, 1] (bytes / 255):
the graph normalises the images itself, as the model was trained. The graph is the eval-mode forward pass: every
BatchNorm that directly follows a convolution is folded into it, the others (the pre-activation ones of a wide
ResNet) are BatchNormalization nodes on the running statistics, and dropout is absent. Outputs: "logits" [batch,
classes] and "embedding" [batch, embedding size], the pooled features REFILLED matches. The metadata_props hold
refilled.architecture, refilled.classes (the original class id behind each logit, comma-separated),
refilled.class_names (a JSON array, when -Data has names), refilled.normalisation.mean/std and refilled.input.
Verified with ONNX Runtime 1.32 (CPU); Measure-Student -OnnxPath measures the file as deployed.
'@
    Parameters  = @{
        Model    = 'The student or teacher to save, by value from the pipeline.'
        Path     = 'The checkpoint file to write, taken as typed (a new file''s name has no wildcards; -LiteralPath is the same parameter). An existing file needs -Force; with -WhatIf the What-if line is printed and nothing fails.'
        Format   = 'Refilled (default): a checkpoint that Import-Student and Import-Teacher read back. Onnx: an ONNX inference model for deployment (not read back by Import-Student).'
        Data     = 'With -Format Onnx: the data the model was trained on. Its test-time normalisation goes into the graph and its class names into the metadata. Without it the normalisation is that of the one catalog dataset with the model''s input shape (CIFAR 3x32x32, photographs 3x224x224); a shape that no dataset or several with different normalisations have (MNIST and Fashion-MNIST are both 1x28x28) needs -Data (NormalisationUnknown).'
        Force    = 'Replace an existing file.'
        PassThru = 'Write the model to the pipeline after saving it.'
    }
    Examples    = @(
        @{
            Code    = '$student | Export-RefilledModel ./student.refilled -Force'
            Remarks = 'Saves the student, replacing an earlier file.'
        }
        @{
            Code    = '$student | Export-RefilledModel ./student.onnx -Format Onnx -Data $train'
            Remarks = 'Writes the student as an ONNX model that takes images in [0, 1] and normalises them as $train was.'
        }
        @{
            Code    = '$student | Export-RefilledModel ./student.refilled -WhatIf'
            Remarks = 'Shows what would be written without writing.'
        }
    )
    Links       = @('Import-Teacher', 'Import-Student', 'Copy-RefilledModel', 'Measure-Student', 'about_Refilled')
}
