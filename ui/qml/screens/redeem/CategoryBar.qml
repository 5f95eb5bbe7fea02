import QtQuick
import "../../components"

// Gift categories as large chips; the grid below shows the chosen one.
Flow {
    spacing: Theme.gap / 2
    Repeater {
        model: redemption.categories
        Chip {
            required property var modelData
            objectName: "giftCategory_" + modelData.id
            text: shell.pick(modelData.name)
            checked: redemption.category === modelData.id
            onClicked: redemption.setCategory(modelData.id)
        }
    }
}
