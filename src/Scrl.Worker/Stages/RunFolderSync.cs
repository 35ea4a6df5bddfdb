using System.Text;
using Microsoft.Extensions.Logging;
using Scrl.Core.Training;
using Scrl.Pipeline.Artifacts;

namespace Scrl.Worker.Stages;

/// <summary>
/// Mirrors a local run folder (<see cref="RunLayout"/>) to <c>{prefix}</c> in the store.
/// Down: the latest checkpoint and the metrics log, so the run resumes. Up: each new checkpoint (tensors, then
/// metadata), the metrics and TensorBoard files, and only then the <c>checkpoints/latest</c> pointer, so a
/// reader of the store never finds a pointer to a checkpoint that is not all there.
/// </summary>
internal sealed class RunFolderSync(IArtifactStore store, string prefix, RunLayout layout, ILogger log)
{
    private const string LatestPointer = "latest";
    private readonly Dictionary<string, (long Length, DateTime Modified)> _uploaded = new(StringComparer.Ordinal);
    private string? _uploadedCheckpoint;

    /// <summary>Names of everything uploaded so far.</summary>
    public IReadOnlyList<string> Uploaded => [.. _uploaded.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Fetches the stage's latest checkpoint and metrics; returns its name, or null when the stage starts fresh.</summary>
    public async Task<string?> DownloadLatestAsync(CancellationToken cancellationToken)
    {
        string? checkpoint = await ReadPointerAsync(cancellationToken).ConfigureAwait(false);
        if (checkpoint is null) return null;
        foreach (string file in new[] { checkpoint + ".ckpt", checkpoint + ".json" })
            await ArtifactFiles.DownloadAsync(store, Name("checkpoints/" + file), Path.Combine(layout.Checkpoints, file), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(layout.Checkpoints, LatestPointer), checkpoint, cancellationToken).ConfigureAwait(false);
        // The metrics log continues across attempts (the sink drops rows past the checkpoint's step).
        if (await store.ExistsAsync(Name("metrics.jsonl"), cancellationToken).ConfigureAwait(false))
            await ArtifactFiles.DownloadAsync(store, Name("metrics.jsonl"), layout.Metrics, cancellationToken).ConfigureAwait(false);
        _uploadedCheckpoint = checkpoint;
        return checkpoint;
    }

    /// <summary>Uploads what changed since the last call; returns true when a new checkpoint went up.</summary>
    public async Task<bool> UploadAsync(CancellationToken cancellationToken)
    {
        string pointerPath = Path.Combine(layout.Checkpoints, LatestPointer);
        string? checkpoint = File.Exists(pointerPath) ? (await File.ReadAllTextAsync(pointerPath, cancellationToken).ConfigureAwait(false)).Trim() : null;
        bool newCheckpoint = checkpoint is not null && checkpoint != _uploadedCheckpoint;
        if (newCheckpoint)
        {
            await UploadFileAsync(Path.Combine(layout.Checkpoints, checkpoint + ".ckpt"), "checkpoints/" + checkpoint + ".ckpt", cancellationToken).ConfigureAwait(false);
            await UploadFileAsync(Path.Combine(layout.Checkpoints, checkpoint + ".json"), "checkpoints/" + checkpoint + ".json", cancellationToken).ConfigureAwait(false);
        }
        await UploadFileAsync(layout.Config, "config.json", cancellationToken).ConfigureAwait(false);
        await UploadFileAsync(layout.Metrics, "metrics.jsonl", cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(layout.TensorBoard))
        {
            foreach (string file in Directory.EnumerateFiles(layout.TensorBoard))
                await UploadFileAsync(file, "tensorboard/" + Path.GetFileName(file), cancellationToken).ConfigureAwait(false);
        }
        if (newCheckpoint)
        {
            using var pointer = new MemoryStream(Encoding.UTF8.GetBytes(checkpoint!));
            await store.UploadAsync(Name("checkpoints/" + LatestPointer), pointer, cancellationToken).ConfigureAwait(false);
            _uploaded[Name("checkpoints/" + LatestPointer)] = default;
            _uploadedCheckpoint = checkpoint;
            log.LogInformation("Uploaded checkpoint {Checkpoint}", checkpoint);
        }
        return newCheckpoint;
    }

    private async Task<string?> ReadPointerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using Stream stream = await store.OpenReadAsync(Name("checkpoints/" + LatestPointer), cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return (await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private async Task UploadFileAsync(string path, string relative, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return;
        if (!ArtifactName.IsValid(prefix + relative))
        {
            log.LogWarning("Not uploading {Path}: '{Name}' is not a valid artifact name", path, relative);
            return;
        }
        string name = Name(relative);
        if (_uploaded.TryGetValue(name, out var seen) && seen == (info.Length, info.LastWriteTimeUtc)) return;
        // Open before reading the stamp: training may replace the file meanwhile, and the open handle keeps this version.
        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 20, useAsync: true);
        var stamp = (source.Length, File.GetLastWriteTimeUtc(path));
        await store.UploadAsync(name, source, cancellationToken).ConfigureAwait(false);
        _uploaded[name] = stamp;
    }

    private string Name(string relative) => ArtifactName.Validate(prefix + relative);
}
