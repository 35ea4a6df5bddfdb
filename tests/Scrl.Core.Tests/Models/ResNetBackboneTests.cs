using System.Text.Json;
using Scrl.Core.Models;
using Scrl.Core.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Models;

public sealed class ResNetBackboneTests
{
    [Theory]
    [InlineData(ResNetVariant.ResNet18, "resnet18")]
    [InlineData(ResNetVariant.ResNet50, "resnet50")]
    public void ResNetBackbone_StateDictKeysAndShapes_MatchTorchvisionWithoutFc(ResNetVariant variant, string torchvisionName)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Golden.PathOf("models/resnet_keys.json")));
        var expected = json.RootElement.GetProperty(torchvisionName).EnumerateObject()
            .ToDictionary(p => p.Name, p => string.Join(",", p.Value.EnumerateArray().Select(d => d.GetInt64())));
        using var backbone = new ResNetBackbone(variant);

        var actual = backbone.state_dict().ToDictionary(kv => kv.Key, kv => string.Join(",", kv.Value.shape));

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, shape) in expected) Assert.True(shape == actual[key], $"{key}: expected [{shape}], got [{actual[key]}]");
    }

    [Theory]
    [InlineData(ResNetVariant.ResNet18, 64L, 512L)]
    [InlineData(ResNetVariant.ResNet50, 256L, 2048L)]
    public void ForwardFeatures_ReturnsC2ToC5_WithDeclaredChannelsAndStrides(ResNetVariant variant, long c2Channels, long c5Channels)
    {
        using var scope = NewDisposeScope();
        using var backbone = new ResNetBackbone(variant);
        backbone.eval();
        var images = randn(2, 3, 64, 96);                                        // [N, 3, H, W]

        var features = backbone.ForwardFeatures(images);
        var c5 = backbone.call(images);

        Assert.Equal(c5Channels, backbone.OutputChannels);
        Assert.Equal(c2Channels, backbone.OutputShapes["0"].Channels);
        Assert.Equal(ResNetBackbone.FeatureNames, features.Keys);
        foreach (var (name, feature) in features)
        {
            var shape = backbone.OutputShapes[name];
            Assert.Equal(new[] { 2L, shape.Channels, 64 / shape.Stride, 96 / shape.Stride }, feature.shape);
        }
        Assert.Equal(0.0, (features["3"] - c5).abs().max().item<float>());
    }

    [Fact]
    public void ChannelsLast_TrainingForwardAndInputGradient_MatchNchwInFloat64()
    {
        using var scope = NewDisposeScope();
        using var nchw = new ResNetBackbone(ResNetVariant.ResNet18);
        using var channelsLast = new ResNetBackbone(ResNetVariant.ResNet18) { ChannelsLast = true };
        nchw.to(float64);
        channelsLast.to(float64);
        channelsLast.load_state_dict(nchw.state_dict());
        var images = randn(4, 3, 64, 64, dtype: float64);                       // [N, 3, H, W]

        var (expected, expectedGrad) = ForwardBackward(nchw, images);
        var (actual, actualGrad) = ForwardBackward(channelsLast, images);

        Assert.Equal(expected.shape, actual.shape);
        Assert.False(actual.is_contiguous(), "channels-last C5 has NHWC strides behind its NCHW shape");
        Assert.True(actual.permute(0, 2, 3, 1).is_contiguous());
        Assert.True(actual.allclose(expected, rtol: 1e-10, atol: 1e-12), $"C5 differs by {(actual - expected).abs().max().item<double>():E2}");
        Assert.True(actualGrad.allclose(expectedGrad, rtol: 1e-10, atol: 1e-12), "input gradient differs");
    }

    private static (Tensor Output, Tensor InputGrad) ForwardBackward(ResNetBackbone backbone, Tensor images)
    {
        var x = images.clone().requires_grad_();
        var c5 = backbone.call(x);                                               // [N, C, H/32, W/32]
        c5.square().sum().backward();
        return (c5.detach(), x.grad!);
    }

    [Fact]
    public void Forward_RejectsNonImageInput()
    {
        using var backbone = new ResNetBackbone(ResNetVariant.ResNet18);
        using var flat = zeros(2, 3, 64);
        Assert.Throws<ArgumentException>(() => backbone.call(flat));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Forward_HoldsOneBlockAtATime_SoLiveTensorsDoNotGrowWithDepth(bool withGrad)
    {
        // Every norm layer records how many tensors this thread holds when it runs. ResNet-34 has twice the
        // blocks of ResNet-18; if forward kept each block's intermediates until it returned, the peak would double.
        long shallow = PeakLiveTensorsDuringForward(ResNetVariant.ResNet18, withGrad);
        long deep = PeakLiveTensorsDuringForward(ResNetVariant.ResNet34, withGrad);

        Assert.InRange(shallow, 1, 16);                                          // one block's conv/bn/relu chain and its input
        Assert.Equal(shallow, deep);
    }

    private static long PeakLiveTensorsDuringForward(ResNetVariant variant, bool withGrad)
    {
        var probe = new LiveTensorProbe();
        using var backbone = new ResNetBackbone(variant, c => new ProbedNorm(c, probe));
        using var images = randn(2, 3, 64, 64);                                  // [N, 3, H, W]
        using var grad = withGrad ? enable_grad() : no_grad();
        probe.Start();
        using var c5 = backbone.call(images);
        return probe.Peak;
    }

    private sealed class LiveTensorProbe
    {
        private long _start;

        public long Peak { get; private set; }

        public void Start() => (_start, Peak) = (DisposeScopeManager.Statistics.ThreadTotalLiveCount, 0);

        public void Record() => Peak = Math.Max(Peak, DisposeScopeManager.Statistics.ThreadTotalLiveCount - _start);
    }

    private sealed class ProbedNorm : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> bn;
        private readonly LiveTensorProbe _probe;

        public ProbedNorm(int channels, LiveTensorProbe probe) : base(nameof(ProbedNorm))
        {
            bn = nn.BatchNorm2d(channels);
            _probe = probe;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            _probe.Record();
            return bn.call(x);
        }
    }
}
