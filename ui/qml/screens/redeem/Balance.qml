import QtQuick
import QtQuick.Layouts
import "../../components"

// Total, balance now and after: the numbers a volunteer checks before confirming.
GridLayout {
    columns: 2
    columnSpacing: Theme.gap
    rowSpacing: Theme.gap / 3
    readonly property int points: redemption.member.points === undefined ? -1 : redemption.member.points
    Text { text: qsTr("合计"); font.pixelSize: Theme.fontBody; color: Theme.textMuted }
    Text {
        objectName: "cartTotal"
        Layout.fillWidth: true
        horizontalAlignment: Text.AlignRight
        text: qsTr("%1 积分").arg(redemption.total)
        font.pixelSize: Theme.fontLarge
        font.bold: true
        color: Theme.primary
    }
    Text { visible: parent.points >= 0; text: qsTr("兑换前积分"); font.pixelSize: Theme.fontBody; color: Theme.textMuted }
    Text {
        objectName: "balanceBefore"
        visible: parent.points >= 0
        Layout.fillWidth: true
        horizontalAlignment: Text.AlignRight
        text: parent.points
        font.pixelSize: Theme.fontLarge
        color: Theme.text
    }
    Text { visible: redemption.balanceAfter >= 0; text: qsTr("兑换后积分"); font.pixelSize: Theme.fontBody; color: Theme.textMuted }
    Text {
        objectName: "balanceAfter"
        visible: redemption.balanceAfter >= 0
        Layout.fillWidth: true
        horizontalAlignment: Text.AlignRight
        text: redemption.balanceAfter
        font.pixelSize: Theme.fontLarge
        font.bold: true
        color: Theme.text
    }
}
