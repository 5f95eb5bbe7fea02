import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../components"
import "redeem"

// The gift catalogue before scanning: what points can buy at this machine, by category.
ScreenPage {
    objectName: "giftsScreen"
    title: qsTr("可兑换礼品")
    // A volunteer may show their code while browsing: it opens their session, as on the home screen.
    StackView.onActivating: scanner.claim("redeem")
    StackView.onDeactivating: scanner.release("redeem")

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap

        Text {
            Layout.fillWidth: true
            text: qsTr("扫志愿者码后即可兑换")
            font.pixelSize: Theme.fontBody
            color: Theme.textMuted
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
        }
        CategoryBar {
            Layout.fillWidth: true
        }
        GiftGrid {
            Layout.fillWidth: true
            Layout.fillHeight: true
            forMember: false
        }
    }
}
