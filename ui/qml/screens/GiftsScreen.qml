import QtQuick
import QtQuick.Layouts
import "../components"

// The gift catalogue: what points can buy at this machine.
ScreenPage {
    objectName: "giftsScreen"
    title: qsTr("可兑换礼品")

    GridView {
        id: grid
        objectName: "giftGrid"
        anchors.fill: parent
        clip: true
        cellWidth: width / 2
        cellHeight: Theme.touchMin * 4.2
        model: catalogue.gifts
        delegate: Item {
            id: cell
            required property var modelData
            required property int index
            width: grid.cellWidth
            height: grid.cellHeight
            Rectangle {
                anchors { fill: parent; margins: Theme.gap / 2 }
                radius: Theme.radius
                color: Theme.surface
                border.color: Theme.border
                border.width: Theme.borderWidth
                ColumnLayout {
                    anchors { fill: parent; margins: Theme.gap }
                    spacing: Theme.gap / 3
                    Image {
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        fillMode: Image.PreserveAspectFit
                        source: catalogue.imageUrl(cell.modelData.image)
                        asynchronous: true
                    }
                    Text {
                        Layout.fillWidth: true
                        text: shell.pick(cell.modelData.name)
                        font.pixelSize: Theme.fontBody
                        font.bold: true
                        color: Theme.text
                        horizontalAlignment: Text.AlignHCenter
                        elide: Text.ElideRight
                    }
                    Text {
                        Layout.fillWidth: true
                        text: qsTr("%1 积分").arg(cell.modelData.points)
                        font.pixelSize: Theme.fontBody
                        color: Theme.primary
                        font.bold: true
                        horizontalAlignment: Text.AlignHCenter
                    }
                    Text {
                        Layout.fillWidth: true
                        text: cell.modelData.stock > 0 ? qsTr("本机剩余 %1").arg(cell.modelData.stock)
                                                       : qsTr("已兑完")
                        font.pixelSize: Theme.fontSmall
                        color: cell.modelData.stock > 0 ? Theme.textMuted : Theme.bad
                        horizontalAlignment: Text.AlignHCenter
                    }
                }
            }
        }
    }
}
