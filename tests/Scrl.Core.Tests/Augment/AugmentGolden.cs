using Scrl.Core.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Augment;

/// <summary>
/// golden/augment/augment.pt (made by make_augment.py): 4 images [3, 20, 28] with per-image factors and the
/// torchvision 0.14 output of each op.
/// </summary>
internal static class AugmentGolden
{
    private static readonly Lazy<Dictionary<string, Tensor>> Table = new(() => Golden.Load("augment/augment.pt"));

    public static Tensor Get(string name) => Table.Value[name];

    public static Tensor Input => Get("input");   // [4, 3, 20, 28] float, multiples of 1/255

    public static IReadOnlyList<Tensor> InputImagesUint8 => Get("input_uint8").unbind(0);   // 4 x [3, 20, 28]

    public static double[] Doubles(string name) => Get(name).to(float64).data<double>().ToArray();

    public static long[] Longs(string name) => Get(name).to(int64).data<long>().ToArray();

    /// <summary>Asserts closeness and logs the measured max error so the tolerances can be reviewed.</summary>
    public static void AssertMatches(ITestOutputHelper output, string name, Tensor actual, double atol)
    {
        var expected = Get(name);
        using (NewDisposeScope())
            output.WriteLine($"{name}: max |error| = {(actual.to(float64) - expected.to(float64)).abs().max().item<double>():E2}");
        Golden.AssertClose(expected, actual, rtol: 0, atol: atol, what: name);
    }
}
