using Scrl.Core.Configuration;
using Scrl.Core.Data.Loading;
using Scrl.Core.Training;

namespace Scrl.Core.Reporting;

/// <summary>
/// Pictures of the first images of a SCRL run's first batch (<c>report/boxes-{n}.png</c>): their two views and box
/// pairs exactly as the run drew them (same seed, sample indices and batch position).
/// </summary>
public static class BoxPairReport
{
    /// <returns>The pictures' file names inside <see cref="RunLayout.Report"/>; none for BYOL (no boxes).</returns>
    public static async Task<IReadOnlyList<string>> WriteAsync(RunLayout layout, PretrainConfig config, IPretrainSampleSource source, int count = 3,
                                                               CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(source);
        if (config.Method != PretrainMethod.Scrl || count < 1) return [];
        var samples = new List<LoaderSample>();
        await foreach (var sample in source.ReadEpochAsync(config.Run.Seed, 0, 0, cancellationToken).ConfigureAwait(false))
        {
            samples.Add(sample);
            if (samples.Count == Math.Min(count, config.Run.BatchSize)) break;
        }
        var images = samples.Select(s => s.Decode()).ToList();                                 // uint8 [3, H, W] each
        try
        {
            var previews = BoxPairPreview.Build(images, [.. samples.Select(s => s.Index)], LoaderPosition.Start, config.Augment, config.Boxes, config.Run.Seed);
            Directory.CreateDirectory(layout.Report);
            var files = new List<string>();
            for (int i = 0; i < previews.Count; i++)
            {
                string file = $"boxes-{i}.png";
                BoxPairPicture.Save(previews[i], Path.Combine(layout.Report, file));
                files.Add(file);
            }
            return files;
        }
        finally
        {
            foreach (var image in images) image.Dispose();
        }
    }
}
