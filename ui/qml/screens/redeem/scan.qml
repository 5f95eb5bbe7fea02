import QtQuick
import QtQuick.Layouts
import "../../components"

// The session timed out at the cloud: the same volunteer shows a fresh code; their picks are kept.
ColumnLayout {
    spacing: Theme.gap
    Text {
        Layout.fillWidth: true
        text: qsTr("为了您的积分安全，请重新出示志愿者码")
        font.pixelSize: Theme.fontTitle
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    ScanHint {
        Layout.fillWidth: true
        Layout.fillHeight: true
    }
    ProblemText {
        objectName: "problemText"
        Layout.fillWidth: true
        code: redemption.problem
    }
}
