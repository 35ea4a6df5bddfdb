using Scrl.Core.Data.Coco;

namespace Scrl.Core.Tests.Data;

public sealed class CocoLayoutTests
{
    [Theory]
    [InlineData("instances_train2017.json", "train2017")]
    [InlineData("person_keypoints_val2017.json", "val2017")]
    public void ImageFolderOf_AnnotationFileOfTheLayout_IsTheFolderBesideAnnotations(string file, string folder)
    {
        string root = Path.Combine(Path.GetTempPath(), "coco-root");

        Assert.Equal(Path.Combine(root, folder), CocoLayout.ImageFolderOf(Path.Combine(root, "annotations", file)));
        Assert.Equal(CocoLayout.ImageFolder(root, CocoLayout.Val), CocoLayout.ImageFolderOf(CocoLayout.AnnotationFile(root, CocoLayout.Val)));
    }

    [Theory]
    [InlineData("labels.json")]
    [InlineData("instances_.json")]
    public void ImageFolderOf_OtherNames_IsNull(string file)
    {
        Assert.Null(CocoLayout.ImageFolderOf(Path.Combine(Path.GetTempPath(), "annotations", file)));
    }
}
