using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Scrl.Core.Evaluation;

/// <summary>
/// Where the C5 features of one (backbone, split, protocol) triple live on disk: <c>{dir}/roi-{hash}.safetensors</c>.
/// The hash covers the backbone's identity, every option that changes a feature, and every RoI of the split, so a
/// stale file is never reused; options that only shape the head (epochs, learning rate) are left out.
/// </summary>
public static class RoiFeatureCache
{
    /// <param name="backboneIdentity">E.g. <c>file:/abs/path:length:mtime</c> or <c>random:ResNet50:seed=0</c>.</param>
    public static string PathFor(string directory, string backboneIdentity, RoiSplit split, RoiEvalOptions options)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"v1|{backboneIdentity}|{options.Variant}|{options.ImageSize}|{options.ResizeMode}|{options.RoiOutputSize}|{options.SamplingRatio}|");
        text.AppendJoin(',', options.NormalizeMean).Append('|').AppendJoin(',', options.NormalizeStd).Append('\n');
        foreach (var image in split.Images)
        {
            text.Append(image.Record.ImagePath).Append('\n');
            foreach (var b in image.Boxes)
                text.Append(CultureInfo.InvariantCulture, $"{b.X1:R},{b.Y1:R},{b.X2:R},{b.Y2:R},{b.ClassIndex},{b.Size};");
        }
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        return Path.Combine(directory, $"roi-{hash}.safetensors");
    }

    /// <summary>A checkpoint file's identity: full path, length and last write time.</summary>
    public static string FileIdentity(string path)
    {
        var info = new FileInfo(path);
        return FormattableString.Invariant($"file:{info.FullName}:{info.Length}:{info.LastWriteTimeUtc.Ticks}");
    }
}
