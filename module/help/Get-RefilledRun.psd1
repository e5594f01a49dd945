@{
    Synopsis    = 'Lists the run folders under a folder with their configuration, status, history and final metrics.'
    Description = @'
Finds every run folder (one holding config.yaml) at or below -Path: an output root, an experiment folder or one run
folder. Status is Finished (result.json present), Running (a live process holds run.lock), Interrupted (training
state present, resumable) or NotStarted. Result holds the final metrics of a finished run; History the rows of
metrics.csv; Config the resolved configuration; Values the run's sweep values.
'@
    Parameters  = @{
        Path = 'A folder: the output root of Invoke-RefilledExperiment, an experiment folder or a run folder.'
    }
    Examples    = @(
        @{
            Code    = 'Get-RefilledRun out/sweeps | Select-Object -ExpandProperty Result | Export-Csv results.csv'
            Remarks = 'The final metrics of every finished run as CSV.'
        }
    )
}
