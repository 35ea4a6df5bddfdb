using static TorchSharp.torch;
namespace Scrl.Core.Tests;
public class SmokeTests
{
    [Fact]
    public void Torch_Loads_AndAdds() => Assert.Equal(3f, (ones(1) * 3).item<float>());
}
