import QtQuick
import QtQuick.Layouts
import "../components"

// The services of one category: name, one line of description, who provides it, where.
ScreenPage {
    id: page
    objectName: "servicesScreen"
    property string categoryId: ""
    readonly property var category: catalogue.category(categoryId)
    title: category ? shell.pick(category.name) : ""

    ListView {
        id: list
        objectName: "serviceList"
        anchors.fill: parent
        clip: true
        spacing: Theme.gap
        model: catalogue.services(page.categoryId)
        delegate: KioskButton {
            id: row
            required property var modelData
            objectName: "service_" + modelData.id
            width: list.width
            implicitHeight: info.implicitHeight + Theme.gap * 2
            onClicked: { ordering.start(row.modelData.id); nav.push("OrderScreen") }
            contentItem: ColumnLayout {
                id: info
                spacing: Theme.gap / 3
                Text {
                    Layout.fillWidth: true
                    text: shell.pick(row.modelData.name)
                    font.pixelSize: Theme.fontLarge
                    font.bold: true
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
                Text {
                    Layout.fillWidth: true
                    text: shell.pick(row.modelData.description)
                    font.pixelSize: Theme.fontBody
                    color: Theme.textMuted
                    wrapMode: Text.WordWrap
                    maximumLineCount: 2
                    elide: Text.ElideRight
                }
                Text {
                    Layout.fillWidth: true
                    text: (row.modelData.location === "home" ? qsTr("上门服务") : qsTr("到站服务"))
                          + " · " + shell.pick(row.modelData.provider)
                    font.pixelSize: Theme.fontSmall
                    color: Theme.secondary
                    wrapMode: Text.WordWrap
                }
            }
        }
    }
}
