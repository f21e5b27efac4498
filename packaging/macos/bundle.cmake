# BuildScope.app, described once: its Info.plist, its icon and the files it carries. On
# macOS the dashboard's target is built into this bundle; on every system the same
# description is written out (build/.../packaging/macos/) as the Info.plist, the .icns and
# bundle-layout.txt, which tests/packaging/tst_macosbundle.cpp checks on Linux. The macOS
# workflow (.github/workflows/ci.yml) checks the real bundle.
#
#   BuildScope.app/Contents/Info.plist                 packaging/macos/Info.plist.in, configured
#   BuildScope.app/Contents/MacOS/BuildScope           the dashboard
#   BuildScope.app/Contents/MacOS/buildscope           the engine (the dashboard starts it from beside itself)
#   BuildScope.app/Contents/Resources/BuildScope.icns  made from resources/icons/buildscope.svg at build time
#   BuildScope.app/Contents/Resources/doc/             README, LICENSE, CHANGELOG and docs/*.md (Help > Documentation)
#   BuildScope.app/Contents/Frameworks, PlugIns        Qt, copied in at install time (qt_generate_deploy_app_script)

set(BUILDSCOPE_BUNDLE_IDENTIFIER "dev.buildscope.BuildScope")
set(BUILDSCOPE_BUNDLE_EXECUTABLE "BuildScope")
set(BUILDSCOPE_MACOS_MINIMUM "13.0") # also CMAKE_OSX_DEPLOYMENT_TARGET (top-level CMakeLists.txt)
set(bundle_out "${PROJECT_BINARY_DIR}/packaging/macos")

configure_file("${PROJECT_SOURCE_DIR}/packaging/macos/Info.plist.in" "${bundle_out}/Info.plist" @ONLY)

# The icon: our own tool renders the SVG with Qt Svg (iconutil exists only on macOS).
add_executable(makeicns "${PROJECT_SOURCE_DIR}/packaging/macos/makeicns.cpp")
target_link_libraries(makeicns PRIVATE Qt6::Gui Qt6::Svg)
set(bundle_svg "${PROJECT_SOURCE_DIR}/resources/icons/buildscope.svg")
set(bundle_icns "${bundle_out}/BuildScope.icns")
add_custom_command(OUTPUT "${bundle_icns}"
    COMMAND makeicns "${bundle_svg}" "${bundle_icns}"
    DEPENDS makeicns "${bundle_svg}"
    COMMENT "Making BuildScope.icns from the SVG icon")
add_custom_target(buildscope_bundle_icon ALL DEPENDS "${bundle_icns}")

file(GLOB bundle_docs CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/docs/*.md")
list(PREPEND bundle_docs "${PROJECT_SOURCE_DIR}/README.md" "${PROJECT_SOURCE_DIR}/LICENSE"
    "${PROJECT_SOURCE_DIR}/CHANGELOG.md")

# The layout as a list a test can read: one path inside the bundle per line.
set(bundle_layout "Contents/Info.plist\nContents/MacOS/${BUILDSCOPE_BUNDLE_EXECUTABLE}\nContents/MacOS/buildscope\n")
string(APPEND bundle_layout "Contents/Resources/BuildScope.icns\n")
foreach(doc IN LISTS bundle_docs)
    get_filename_component(name "${doc}" NAME)
    string(APPEND bundle_layout "Contents/Resources/doc/${name}\n")
endforeach()
file(WRITE "${bundle_out}/bundle-layout.txt" "${bundle_layout}")

# buildscope_macos_bundle(TARGET): makes TARGET (the dashboard) BuildScope.app. macOS only.
function(buildscope_macos_bundle target)
    set_target_properties(${target} PROPERTIES
        OUTPUT_NAME "${BUILDSCOPE_BUNDLE_EXECUTABLE}"
        MACOSX_BUNDLE_INFO_PLIST "${bundle_out}/Info.plist")
    target_sources(${target} PRIVATE "${bundle_icns}" ${bundle_docs})
    set_source_files_properties("${bundle_icns}" PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
    set_source_files_properties(${bundle_docs} PROPERTIES MACOSX_PACKAGE_LOCATION Resources/doc)
    add_custom_command(TARGET ${target} POST_BUILD
        COMMAND ${CMAKE_COMMAND} -E copy "$<TARGET_FILE:buildscope>" "$<TARGET_FILE_DIR:${target}>/buildscope"
        COMMENT "Copying the engine into BuildScope.app")
endfunction()
