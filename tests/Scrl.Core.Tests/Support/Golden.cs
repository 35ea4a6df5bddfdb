using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Support;

/// <summary>
/// Reads golden tensors written by the PyTorch scripts under <c>golden/</c> (<c>torch.save</c> of a flat
/// dict of tensors). A missing file fails the test loudly: goldens are committed with their scripts.
/// </summary>
public static class Golden
{
    public static string PathOf(string relative)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "golden", relative);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Golden file '{relative}' is missing; regenerate it with the script beside it.", path);
        return path;
    }

    public static Dictionary<string, Tensor> Load(string relative)
    {
        using var stream = File.OpenRead(PathOf(relative));
        var table = PyTorchUnpickler.UnpickleStateDict(stream);
        var result = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry e in table) result[(string)e.Key] = (Tensor)e.Value!;
        return result;
    }

    /// <summary>Asserts |a-b| &lt;= atol + rtol*|b| elementwise, reporting the worst element.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, double rtol = 1e-5, double atol = 1e-6, string what = "")
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        var e = expected.to(float64).cpu();
        var a = actual.detach().to(float64).cpu();
        var excess = (a - e).abs() - (e.abs() * rtol + atol);
        var worst = excess.max().item<double>();
        if (worst > 0)
        {
            long idx = excess.flatten().argmax().item<long>();
            Assert.Fail($"{what}: element {idx} differs: expected {e.flatten()[idx].item<double>():G9}, " +
                        $"actual {a.flatten()[idx].item<double>():G9} (rtol {rtol}, atol {atol})");
        }
    }
}
