using Scrl.Core.Tests.Support;
using Scrl.Detection.Sparse;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

/// <summary>
/// Runs make_sparsercnn.py parity once (the PyTorch transcription of the authors' head and criterion with name-hashed
/// weights and inputs, ~25 s) and reads its outputs. Nothing is committed but the script and the key list.
/// </summary>
public sealed class SparseRcnnParityFixture : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sparsercnn-parity").FullName;

    public SparseRcnnParityFixture()
    {
        string path = Path.Combine(_directory, "parity.pt");
        PythonOracle.Run("sparsercnn/make_sparsercnn.py", "parity", path);
        Golden = RetinaNetParityFixture.ReadTensors(path);
    }

    /// <summary>The script's K = 81 and P = 100, at the paper's widths.</summary>
    public static SparseRcnnOptions Options { get; } = new() { NumClasses = 81, Proposals = 100 };

    /// <summary>The script's two resized image sizes (height, width), padded together to 128 x 160.</summary>
    public static IReadOnlyList<(long Height, long Width)> ImageSizes { get; } = [(128, 150), (120, 160)];

    public Dictionary<string, Tensor> Golden { get; }

    /// <summary>A head with the script's hashed weights (names prefixed "head.", as in the detector).</summary>
    public static SparseRcnnHead HashedHead()
    {
        var head = new SparseRcnnHead(Options);
        using var noGrad = no_grad();
        foreach (var (name, p) in head.named_parameters())
            using (var v = HashedInit.Values("head." + name, p.shape, p.dtype)) p.copy_(v);
        return head;
    }

    /// <summary>The script's ground truth for case <paramref name="prefix"/>, as the criterion reads it.</summary>
    public IReadOnlyList<SetTarget> Targets(string prefix) => ImageSizes.Select((s, i) => new SetTarget(
        Golden[$"{prefix}gt.boxes.{i}"].view(-1, 4), Golden[$"{prefix}gt.labels.{i}"],
        tensor(new float[] { s.Width, s.Height, s.Width, s.Height }))).ToList();

    public void Dispose()
    {
        foreach (var t in Golden.Values) t.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
