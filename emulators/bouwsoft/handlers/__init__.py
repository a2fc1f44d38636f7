"""Every operationId of the Bouwsoft contract -> its handler (the contract's completeness test checks the set)."""

from __future__ import annotations

from emulators.core.spec import handler_table

from .authorize import getAccessToken, getRefreshToken
from .media import getProjectImage, getProjectNoteHtml, getProjectNotePlain, getProjectNoteRtf
from .projects import (
    approveProject,
    assignProjectGroup,
    assignProjectList,
    createProject,
    unassignProjectGroup,
    unassignProjectList,
    updateProject,
)
from .queries import getProject, getProjectFieldInfo, listProjects
from .upload import uploadProjectFile, uploadProjectFileByPost

HANDLERS = handler_table(
    {
        "getAccessToken": getAccessToken,
        "getRefreshToken": getRefreshToken,
        "listProjects": listProjects,
        "createProject": createProject,
        "getProjectFieldInfo": getProjectFieldInfo,
        "getProject": getProject,
        "updateProject": updateProject,
        "approveProject": approveProject,
        "assignProjectGroup": assignProjectGroup,
        "assignProjectList": assignProjectList,
        "unassignProjectGroup": unassignProjectGroup,
        "unassignProjectList": unassignProjectList,
        "uploadProjectFile": uploadProjectFile,
        "uploadProjectFileByPost": uploadProjectFileByPost,
        "getProjectImage": getProjectImage,
        "getProjectNoteHtml": getProjectNoteHtml,
        "getProjectNotePlain": getProjectNotePlain,
        "getProjectNoteRtf": getProjectNoteRtf,
    }
)
