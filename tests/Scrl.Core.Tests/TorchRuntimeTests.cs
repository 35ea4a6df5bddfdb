using static TorchSharp.torch;
namespace Scrl.Core.Tests;

public class TorchRuntimeTests
{
    [Fact]
    public void NativeRuntime_Loads_AndComputes() => Assert.Equal(3f, (ones(1) * 3).item<float>());
}
