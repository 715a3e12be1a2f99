"""Workforce needs assessment: demand, phase times, caseloads, a staffing model, skills and training."""
