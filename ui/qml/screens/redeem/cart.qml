import QtQuick
import QtQuick.Layouts
import "../../components"

// The cart: a stepper per gift (within stock here, the per-person limit and the balance).
ColumnLayout {
    spacing: Theme.gap * 0.6
    Repeater {
        model: redemption.cart
        Rectangle {
            required property var modelData
            Layout.fillWidth: true
            implicitHeight: line.implicitHeight + Theme.gap
            radius: Theme.radius
            color: Theme.surface
            border.color: modelData.problem ? Theme.bad : Theme.border
            border.width: Theme.borderWidth
            ColumnLayout {
                id: line
                anchors { fill: parent; margins: Theme.gap / 2 }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.gap / 2
                    ColumnLayout {
                        Layout.fillWidth: true
                        Text {
                            Layout.fillWidth: true
                            text: shell.pick(modelData.name)
                            font.pixelSize: Theme.fontBody
                            font.bold: true
                            color: Theme.text
                            wrapMode: Text.WordWrap
                        }
                        Text {
                            Layout.fillWidth: true
                            text: qsTr("%1 积分 × %2 = %3 积分").arg(modelData.points).arg(modelData.qty).arg(modelData.linePoints)
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textMuted
                            wrapMode: Text.WordWrap
                        }
                    }
                    Stepper {
                        giftId: modelData.id
                        qty: modelData.qty
                        canAdd: modelData.qty < modelData.maxQty && modelData.missing === 0
                    }
                }
                Text {
                    objectName: "lineProblem_" + modelData.id
                    Layout.fillWidth: true
                    visible: modelData.problem !== ""
                    text: modelData.problem === "out_of_stock"
                          ? (modelData.stock > 0 ? qsTr("本机只剩 %1 份了，请减少数量").arg(modelData.stock)
                                                 : qsTr("本机已兑完，请去掉这一项"))
                          : qsTr("超过每人限兑数量，请减少")
                    font.pixelSize: Theme.fontSmall
                    font.bold: true
                    color: Theme.bad
                    wrapMode: Text.WordWrap
                }
            }
        }
    }
    Text {
        Layout.fillWidth: true
        visible: redemption.cart.length === 0
        text: qsTr("还没有选礼品")
        font.pixelSize: Theme.fontLarge
        color: Theme.textMuted
        horizontalAlignment: Text.AlignHCenter
    }
    Balance {
        Layout.fillWidth: true
    }
    ProblemText {
        objectName: "problemText"
        Layout.fillWidth: true
        code: redemption.problem
    }
    Item { Layout.fillHeight: true }
    KioskButton {
        objectName: "moreGiftsButton"
        Layout.fillWidth: true
        text: qsTr("继续选礼品")
        onClicked: redemption.go("gifts")
    }
    KioskButton {
        objectName: "toConfirmButton"
        Layout.fillWidth: true
        primary: true
        enabled: redemption.cart.length > 0
        text: qsTr("去确认")
        onClicked: redemption.go("confirm")
    }
}
