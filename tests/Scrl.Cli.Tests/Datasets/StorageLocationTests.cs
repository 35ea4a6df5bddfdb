using Scrl.Cli.Datasets;

namespace Scrl.Cli.Tests.Datasets;

public sealed class StorageLocationTests
{
    [Fact]
    public void Parse_AccountUrl_SplitsServiceContainerAndPrefix()
    {
        var location = StorageLocation.Parse("https://acct.blob.core.windows.net/data/team/coco");

        Assert.Equal(new Uri("https://acct.blob.core.windows.net"), location.ServiceUri);
        Assert.Equal(("data", "team/coco/"), (location.Container, location.Prefix));
        Assert.False(location.IsEmulator);
        Assert.Equal("https://acct.blob.core.windows.net/data", location.StoreDisplay);
    }

    [Fact]
    public void Parse_EmulatorUrl_TakesTheAccountFromThePath()
    {
        var location = StorageLocation.Parse("http://127.0.0.1:10000/devstoreaccount1/data");

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), location.ServiceUri);
        Assert.Equal(("data", ""), (location.Container, location.Prefix));
        Assert.True(location.IsEmulator);
    }

    [Fact]
    public void Parse_PathOrRelativeFolder_IsLocal()
    {
        var location = StorageLocation.Parse("out/shards");

        Assert.False(location.IsBlob);
        Assert.Equal(Path.GetFullPath("out/shards"), location.LocalFolder);
    }

    [Theory]
    [InlineData("https://acct.blob.core.windows.net/")]
    [InlineData("https://acct.blob.core.windows.net/data/bad name")]
    public void Parse_UrlWithoutContainerOrWithBadPrefix_Throws(string url) =>
        Assert.Throws<ArgumentException>(() => StorageLocation.Parse(url));
}
