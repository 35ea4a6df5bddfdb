using Scrl.Core.Training.Checkpoints;

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

    /// <summary>
    /// Throws unless <paramref name="checkpoint"/> was written under <paramref name="configHash"/>; its run folder is the
    /// one that holds its <c>checkpoints/</c> folder.
    /// </summary>
    public static void ThrowIfOtherConfig(LoadedCheckpoint checkpoint, string configHash)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.Meta.ConfigHash == configHash) return;
        string runFolder = Path.GetDirectoryName(Path.GetDirectoryName(checkpoint.Path)) is { Length: > 0 } folder ? folder : ".";
        throw new RunFolderConflictException(runFolder, checkpoint.Path);
    }
}
