using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using Refilled.Engine.Training;

namespace Refilled.PowerShell.Commands;

/// <summary>Shows a trainer's progress as Write-Progress bars (epochs, batches) and -Verbose lines per epoch.</summary>
internal sealed class TrainingObserver(Cmdlet cmdlet, string activity, int parentActivityId = -1) : ITrainingObserver
{
    const int EpochBar = 1, BatchBar = 2;
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    readonly Stopwatch sinceLastBar = Stopwatch.StartNew();
    bool shownOnce;

    public void OnBatch(BatchProgress p)
    {
        // A host redraw costs more than a small batch (an epoch of one batch took 90 ms longer with a redraw per
        // batch): refresh at most four times a second.
        if (shownOnce && sinceLastBar.Elapsed < Interval) return;
        shownOnce = true;
        sinceLastBar.Restart();
        UnlessStopped(() =>
        {
            cmdlet.WriteProgress(new ProgressRecord(EpochBar, activity, $"Epoch {p.Epoch} of {p.Epochs}")
            {
                PercentComplete = Percent(p.Epoch - 1, p.Epochs),
                ParentActivityId = parentActivityId,
                SecondsRemaining = (int)p.Remaining.TotalSeconds,
            });
            cmdlet.WriteProgress(new ProgressRecord(BatchBar, $"{p.Stage} epoch {p.Epoch}",
                string.Format(CultureInfo.InvariantCulture, "Batch {0} of {1}, loss {2:g4}", p.Batch, p.BatchesPerEpoch, p.Loss))
            {
                ParentActivityId = EpochBar,
                PercentComplete = Percent(p.Batch, p.BatchesPerEpoch),
            });
        });
    }

    public void OnEpoch(EpochMetrics m)
    {
        UnlessStopped(() => cmdlet.WriteVerbose(string.Format(CultureInfo.InvariantCulture,
            "{0} epoch {1}/{2}: loss {3:g5}{11}, lr {4:g4}, train acc {5}, {6} {7}, triplets/batch {8:0.#}, skipped {9}, {10:0.0} s",
            m.Stage, m.Epoch, m.Epochs, m.Loss, m.LearningRate, m.TrainAccuracy?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-",
            m.ValidationMetricName, m.ValidationMetric?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-",
            m.TripletsPerBatch, m.SkippedBatches, m.Seconds,
            string.Concat((m.Terms ?? new Dictionary<string, double>()).Select(t => string.Format(CultureInfo.InvariantCulture, " ({0} {1:g5})", t.Key, t.Value))))));
    }

    /// <summary>
    /// After Ctrl+C the pipeline refuses writes: progress is dropped, so that the trainer stops at its next batch and
    /// returns what it trained (the cmdlet records it) instead of unwinding through this observer.
    /// </summary>
    static void UnlessStopped(Action write)
    {
        try
        {
            write();
        }
        catch (PipelineStoppedException)
        {
        }
    }

    public void Complete()
    {
        cmdlet.WriteProgress(new ProgressRecord(BatchBar, activity, "Done") { ParentActivityId = EpochBar, RecordType = ProgressRecordType.Completed });
        cmdlet.WriteProgress(new ProgressRecord(EpochBar, activity, "Done") { ParentActivityId = parentActivityId, RecordType = ProgressRecordType.Completed });
    }

    static int Percent(int done, int total) => total <= 0 ? 0 : Math.Clamp(100 * done / total, 0, 100);
}
