@{
    Synopsis    = 'Creates a freshly initialised student network.'
    Description = @'
Builds a network from an architecture spec with one output per class, initialised reproducibly from -Seed. With
-Dataset the student takes the dataset's classes (their original label ids are kept, so that its outputs keep
their meaning in checkpoints and measurements); with -Classes it gets that many classes labelled 0..n-1.
'@
    Parameters  = @{
        Architecture = 'The network spec: wrn-16-1, wrn-16-2, wrn-40-2, resnet-20, resnet-110, mobilenet-0.5, smallcnn, ... An unknown spec lists the valid forms.'
        Classes      = 'The number of classes, for a student not tied to a dataset.'
        Dataset      = 'The dataset whose classes the student learns. Binds by property name (Data or Dataset).'
        Seed         = 'Seed for the initial weights. Default 0.'
    }
    Examples    = @(
        @{
            Code    = 'New-Student wrn-16-2 -Dataset $train'
            Remarks = 'A WRN-16-2 student for the classes of $train.'
        }
        @{
            Code    = 'New-Student smallcnn -Classes 5 -Seed 1'
            Remarks = 'A small CNN for 28x28 grayscale images with five classes.'
        }
    )
}
