namespace Scrl.Core.Training;

/// <summary>
/// A run folder holds checkpoints of another config (another model, data pipeline or schedule), so training there
/// would not continue the run they belong to. Nothing in the folder has been changed.
/// </summary>
public sealed class RunFolderConflictException(string runFolder, string checkpoint)
    : InvalidOperationException($"The run folder '{runFolder}' holds a checkpoint of another config ({checkpoint}), which this config " +
                                "cannot resume: train into another run folder, or remove this one to start over.")
{
    public string RunFolder { get; } = runFolder;
}
