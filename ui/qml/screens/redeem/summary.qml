import QtQuick
import QtQuick.Layouts
import "../../components"

// Who is there (masked), their points, service hours by kind, points expiring soon, recent redemptions.
ColumnLayout {
    id: view
    spacing: Theme.gap * 0.7
    readonly property var m: redemption.member

    Text {
        objectName: "memberName"
        Layout.fillWidth: true
        text: view.m.offline ? qsTr("志愿者，您好") : qsTr("%1，您好").arg(view.m.maskedName)
        font.pixelSize: Theme.fontTitle
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
    }
    Text {
        Layout.fillWidth: true
        visible: !view.m.offline
        text: qsTr("可用积分")
        font.pixelSize: Theme.fontLarge
        color: Theme.textMuted
        horizontalAlignment: Text.AlignHCenter
    }
    Text {
        objectName: "memberPoints"
        Layout.fillWidth: true
        visible: !view.m.offline
        text: view.m.points
        font.pixelSize: Theme.fontHuge
        font.bold: true
        color: Theme.primary
        horizontalAlignment: Text.AlignHCenter
    }
    Text {
        objectName: "offlineNote"
        Layout.fillWidth: true
        visible: view.m.offline === true
        text: redemption.offlineRoom >= 0
              ? qsTr("网络暂时中断，现在是离线兑换：本次最多可兑换 %1 积分，联网后由平台确认扣分。").arg(redemption.offlineRoom)
              : qsTr("网络暂时中断，现在是离线兑换：联网后由平台确认扣分。")
        font.pixelSize: Theme.fontBody
        font.bold: true
        color: Theme.warn
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    Text {
        objectName: "expiringNote"
        Layout.fillWidth: true
        visible: view.m.expiring !== undefined && view.m.expiring.points > 0
        text: visible ? qsTr("其中 %1 积分将于 %2 到期，请尽早使用").arg(view.m.expiring.points).arg(view.m.expiring.date) : ""
        font.pixelSize: Theme.fontBody
        font.bold: true
        color: Theme.warn
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    RowLayout {
        objectName: "memberHours"
        Layout.fillWidth: true
        spacing: Theme.gap
        Repeater {
            model: view.m.hours || []
            Rectangle {
                required property var modelData
                Layout.fillWidth: true
                implicitHeight: Theme.buttonHeight
                radius: Theme.radius
                color: Theme.surface
                border.color: Theme.border
                border.width: Theme.borderWidth
                Column {
                    anchors.centerIn: parent
                    Text {
                        anchors.horizontalCenter: parent.horizontalCenter
                        text: shell.pick(modelData.label)
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textMuted
                    }
                    Text {
                        anchors.horizontalCenter: parent.horizontalCenter
                        text: qsTr("%1 小时").arg(modelData.hours)
                        font.pixelSize: Theme.fontLarge
                        font.bold: true
                        color: Theme.secondary
                    }
                }
            }
        }
    }
    Text {
        objectName: "reprintedNote"
        Layout.fillWidth: true
        visible: redemption.reprinted > 0
        text: qsTr("您之前兑换的 %1 张兑换券已打印，请从出纸口取走。").arg(redemption.reprinted)
        font.pixelSize: Theme.fontBody
        font.bold: true
        color: Theme.ok
        wrapMode: Text.WordWrap
    }
    Text {
        Layout.fillWidth: true
        visible: (view.m.recent || []).length > 0
        text: qsTr("最近兑换")
        font.pixelSize: Theme.fontBody
        font.bold: true
        color: Theme.text
    }
    Repeater {
        model: view.m.recent || []
        Text {
            required property var modelData
            Layout.fillWidth: true
            text: Qt.formatDate(new Date(modelData.at * 1000), "yyyy-MM-dd") + "  "
                  + modelData.items.map(i => shell.pick(i.name) + " ×" + i.qty).join("、")
                  + "  " + qsTr("%1 积分").arg(modelData.points)
            font.pixelSize: Theme.fontSmall
            color: Theme.textMuted
            wrapMode: Text.WordWrap
        }
    }
    Item { Layout.fillHeight: true }
    ProblemText {
        objectName: "problemText"
        Layout.fillWidth: true
        code: redemption.problem
    }
    KioskButton {
        objectName: "toGiftsButton"
        Layout.fillWidth: true
        primary: true
        text: qsTr("去选礼品")
        onClicked: redemption.go("gifts")
    }
}
