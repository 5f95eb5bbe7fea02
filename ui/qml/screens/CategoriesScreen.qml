import QtQuick
import QtQuick.Layouts
import "../components"

// Service categories from the catalogue, as large tiles.
ScreenPage {
    objectName: "categoriesScreen"
    title: qsTr("请选择服务类别")

    GridView {
        id: grid
        objectName: "categoryGrid"
        anchors.fill: parent
        clip: true
        cellWidth: width / 2
        // Every category on one screen where the tiles can shrink to fit (a district offers a dozen);
        // beyond that the grid scrolls rather than make a tile too small to read or touch.
        cellHeight: Math.max(Theme.touchMin * 2.4,
                             Math.min(Theme.touchMin * 3.2, height / Math.max(1, Math.ceil(count / 2))))
        model: catalogue.categories
        delegate: Item {
            id: cell
            required property var modelData
            required property int index
            width: grid.cellWidth
            height: grid.cellHeight
            KioskButton {
                objectName: "category_" + cell.modelData.id
                anchors { fill: parent; margins: Theme.gap / 2 }
                onClicked: nav.push("ServicesScreen", { categoryId: cell.modelData.id })
                contentItem: ColumnLayout {
                    spacing: Theme.gap / 2
                    TileIcon {
                        Layout.alignment: Qt.AlignHCenter
                        glyph: shell.pick(cell.modelData.name).charAt(0)
                        tint: catalogue.tint(cell.index)
                    }
                    Text {
                        Layout.fillWidth: true
                        text: shell.pick(cell.modelData.name)
                        font.pixelSize: Theme.fontLarge
                        font.bold: true
                        color: Theme.text
                        horizontalAlignment: Text.AlignHCenter
                        wrapMode: Text.WordWrap
                    }
                }
            }
        }
    }
    Text {
        anchors.centerIn: parent
        width: parent.width
        visible: grid.count === 0
        text: qsTr("服务目录正在更新，请稍后再试，或拨打服务站电话。")
        font.pixelSize: Theme.fontLarge
        color: Theme.warn
        wrapMode: Text.WordWrap
        horizontalAlignment: Text.AlignHCenter
    }
}
